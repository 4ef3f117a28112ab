from django import forms

from .models import NotificationSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ("reports", "reviews", "saved_searches", "files", "email_digest")
